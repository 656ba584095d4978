import configparser, socket
c = configparser.ConfigParser()
c.read('app.ini')
socket.socket().bind(('', c.getint('server', 'port')))
