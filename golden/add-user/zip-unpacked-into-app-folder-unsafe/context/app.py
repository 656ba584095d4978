open('data/counter.txt','a').write('1\n'); print(len(open('data/counter.txt').read().split()))
