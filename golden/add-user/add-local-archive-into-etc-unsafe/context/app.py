print('started', open('/etc/myapp/private/key.txt').read())
