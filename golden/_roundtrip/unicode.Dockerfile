FROM alpine
LABEL description="café ☕ 中文"
RUN echo "über space"
