# a comment first
# escape=`
FROM alpine
RUN echo \
  still backslash
