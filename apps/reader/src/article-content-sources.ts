import type { ContentSources } from '@gatehouse/core';

/**
 * Articles show other sites' images and video, as every feed reader does (the sanitizer
 * keeps only https images, upgrading http ones, and frames from the two video hosts).
 * Scripts stay same-origin. main.ts gives these to the CSP; the browser tests use the same.
 */
export const ARTICLE_CONTENT_SOURCES: ContentSources = {
  img: ['https:'],
  media: ['https:'],
  frame: ['https://www.youtube-nocookie.com', 'https://player.vimeo.com'],
};
