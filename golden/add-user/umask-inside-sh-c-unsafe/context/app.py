print('started', open('/etc/app.conf').read().strip())
