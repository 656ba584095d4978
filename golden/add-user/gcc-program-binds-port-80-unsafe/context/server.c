#include <arpa/inet.h>
int main(void) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(80);
  return 0;
}
