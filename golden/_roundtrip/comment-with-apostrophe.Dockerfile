FROM alpine
# don't stop parsing here, it's just an apostrophe
RUN echo 'it''s fine'
# and here's another
CMD ["sh"]
