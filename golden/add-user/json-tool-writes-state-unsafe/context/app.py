import json
s=json.load(open('state.json'))
s['runs']+=1
json.dump(s, open('state.json','w'))
print(s)
