package sut

// NewDrillNetwork is newDrillNetwork, for the tests of package sut_test.
var NewDrillNetwork = newDrillNetwork
