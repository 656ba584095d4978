FROM node:18
FROM node:99-nope
