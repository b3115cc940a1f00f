import { share, Slot } from './api.js';

share(new Slot(1));
share({ hits: new Slot(0), name: 'counter' });
share([new Slot('a')]);
share(new Slot(true));
