commonsgenSearchLoaded("p-1",["Logging readings","Sensors","../sensors/log/","","Step 1: Read time °C 9:00 11.5 Step 2: Write print(\"11.5\")"]);
