open('app.log', 'a').write('started')
