// A trial worker that fails while starting, as a broken install (missing loader, bad import) would.
throw new Error('cannot start: loader missing');
