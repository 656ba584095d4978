# SYNTAX = docker/dockerfile:1.7
#check=skip=JSONArgsRecommended
# escape=\
FROM alpine
