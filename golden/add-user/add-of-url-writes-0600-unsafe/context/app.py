print(len(open('/usr/share/myapp/ms.tgz', 'rb').read()))
