npm cache add ms@2.1.3
