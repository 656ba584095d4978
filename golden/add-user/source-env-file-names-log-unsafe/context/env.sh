export LOG=/var/log/app.log
