import os, socket
host, port = os.environ['LISTEN_ADDR'].rsplit(':', 1)
s = socket.socket()
s.bind((host, int(port)))
print('bound', s.getsockname()[1])
