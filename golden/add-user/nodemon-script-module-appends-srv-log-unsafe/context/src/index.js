require("./log");
