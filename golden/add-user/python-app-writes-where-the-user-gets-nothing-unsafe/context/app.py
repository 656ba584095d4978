import logging
with open("/etc/hostname") as f:
    name = f.read().strip()
with open("/var/log/app.log", "a") as log:
    log.write(f"started on {name}\n")
