import sinon from 'sinon';

// Root hook: every test starts from un-stubbed seams, so one test's fakes never leak into the next.
export const mochaHooks = {
  afterEach(): void {
    sinon.restore();
  },
};
