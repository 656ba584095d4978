FROM alpine
CMD	[ "a" ,"b"	]  
ENTRYPOINT ['single', 'quotes']
RUN ["unterminated", "array"
