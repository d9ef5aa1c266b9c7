#include <iostream>

#include "advisor/cli.hpp"

int main(int argc, char** argv)
{
  return advisor::run_cli(argc, argv, std::cin, std::cout, std::cerr);
}
