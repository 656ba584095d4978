open('/var/log/app.log', 'a').write('x')
