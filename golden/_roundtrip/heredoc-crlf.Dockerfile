FROM alpine
RUN <<EOF
echo one
echo two
EOF
CMD ["sh"]
