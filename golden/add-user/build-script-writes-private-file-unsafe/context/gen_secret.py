import os
fd = os.open('/etc/myapp/secret_key', os.O_WRONLY | os.O_CREAT, 0o600)
os.write(fd, b'x')
