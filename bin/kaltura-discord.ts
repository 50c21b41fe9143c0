#!/usr/bin/env node
import { createProcessIo } from '../src/cli/cli-io';
import { main } from './main';

void main(process.argv.slice(2), createProcessIo()).then((code) => {
  process.exitCode = code;
});
