package io.github.depthsweep.experiments;
public class SweepCommand { public static void main(String[] a) { System.out.println("plan"); } }
