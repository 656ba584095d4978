#include <stdio.h>
int main(void) {
  FILE *f = fopen("/srv/app/state", "w");
  if (!f) return 1;
  fputs("x", f);
  return 0;
}
