commonsgenSearchLoaded("p-1",["Goldenes Handbuch","","../","Willkommen.","Willkommen."]);
