import os, tempfile
fd, tmp = tempfile.mkstemp(dir='/usr/share/myapp')
os.close(fd)
os.replace(tmp, '/usr/share/myapp/manifest.json')
