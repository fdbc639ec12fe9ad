group_hostprog() { :; }
