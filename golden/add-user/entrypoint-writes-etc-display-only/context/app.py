print(open("/etc/app.conf").read(), end="")
