#pragma once
// The one place that names the Catch2 version: a move to v3 changes only this file.
#include <catch2/catch.hpp>
