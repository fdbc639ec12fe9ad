group_devices() { :; }
