commonsgenSearchLoaded("p-0",["Golden Handbook","","../","Start with the probe.","Start with the probe ."]);
