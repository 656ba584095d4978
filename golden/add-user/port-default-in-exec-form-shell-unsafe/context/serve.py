import sys, socket
socket.socket().bind(('', int(sys.argv[2])))
