# base image
FROM \
  # the LTS line
  node:18-slim
RUN echo ok
