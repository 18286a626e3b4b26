export const SANDBOX_PAGE = '<!doctype html><title>minqing sandbox</title>';
