commonsgenSearchLoaded("p-2",["Sensors","Golden Handbook","../sensors/","What we measure with.","Everything about sensors."]);
