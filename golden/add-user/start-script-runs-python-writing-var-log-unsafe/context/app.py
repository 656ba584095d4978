print(open('/var/log/prep.log').read().strip())
