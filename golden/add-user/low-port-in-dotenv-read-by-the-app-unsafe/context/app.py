import socket
env = dict(l.strip().split('=', 1) for l in open('.env') if '=' in l)
s = socket.socket()
s.bind(('', int(env['LISTEN_PORT'])))
print('bound', s.getsockname()[1])
