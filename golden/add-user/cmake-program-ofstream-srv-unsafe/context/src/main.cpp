#include <fstream>
int main() { std::ofstream out("/srv/app.log"); out << "x"; return out ? 0 : 1; }
