p='/app/state.txt'
n=int(open(p).read().strip() or 0)+1
open(p,'w').write(str(n))
print('n', n)
