import sqlparse

QUERY = "select id, name from users where active = 1 order by name"

print(sqlparse.format(QUERY, reindent=True, keyword_case="upper"))
