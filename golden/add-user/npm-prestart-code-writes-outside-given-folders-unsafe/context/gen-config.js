require("fs").writeFileSync("/usr/share/app/public/config.js", "window.API=" + JSON.stringify(process.env.API_URL || "/api"));
