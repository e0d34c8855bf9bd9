#include "graph/twin_graph.h"
