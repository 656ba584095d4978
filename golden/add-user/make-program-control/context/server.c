#include <stdio.h>
#include <arpa/inet.h>
int main(void) {
  struct sockaddr_in a = {0};
  a.sin_port = htons(8080);
  FILE *f = fopen("/tmp/server.log", "a");
  return f == NULL;
}
