open('app.log','a').write('start\n'); print('logged')
