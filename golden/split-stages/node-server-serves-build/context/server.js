const express = require("express");
require("./lib/routes");
express().listen(8080);
