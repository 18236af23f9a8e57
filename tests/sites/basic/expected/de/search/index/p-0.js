commonsgenSearchLoaded("p-0",["Die Temperatursonde","Sensors","../sensors/probe/","Ein Thermistor an einem Kabel.","Ein Thermistor an einem Kabel."]);
