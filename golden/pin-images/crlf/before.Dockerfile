FROM node:18
RUN echo
