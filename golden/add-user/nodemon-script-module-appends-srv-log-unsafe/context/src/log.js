require("fs").appendFileSync("/srv/log/app.log", "x");
