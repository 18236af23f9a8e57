commonsgenSearchLoaded("w-ddd9c40767f9",{"an":[0],"die":[1],"ein":[0],"einem":[0],"goldenes":[3],"handbuch":[3],"kabel":[0],"sensors":[0],"temperatursonde":[1],"thermistor":[0],"willkommen":[2]});
